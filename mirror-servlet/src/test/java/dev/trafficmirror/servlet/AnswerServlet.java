package dev.trafficmirror.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the whole body, then answers with the status named by {@code X-Answer-Status} (default
 * 200), synchronously or, with {@code X-Answer-Async}, from another thread after startAsync; on
 * {@code /throw} it throws instead. The answer says whether the application saw a wrapped request
 * (the mirror's tee) and describes the body it read.
 */
final class AnswerServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        byte[] body = request.getInputStream().readAllBytes();
        if (request.getRequestURI().endsWith("/throw")) {
            throw new ServletException("the application failed");
        }
        String status = request.getHeader("X-Answer-Status");
        int code = status == null ? 200 : Integer.parseInt(status);
        byte[] answer = ("wrapped=" + (request instanceof HttpServletRequestWrapper) + " "
                + EchoServlet.describe(body)).getBytes(StandardCharsets.UTF_8);
        if (request.getHeader("X-Answer-Async") == null) {
            write(response, code, answer);
            return;
        }
        AsyncContext async = request.startAsync();
        async.start(() -> {
            write((HttpServletResponse) async.getResponse(), code, answer);
            async.complete();
        });
    }

    private static void write(HttpServletResponse response, int code, byte[] answer) {
        try {
            response.setStatus(code);
            response.setContentType("text/plain;charset=utf-8");
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
