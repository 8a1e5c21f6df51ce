package dev.trafficmirror.servlet;

import jakarta.servlet.ServletContext;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The few things a container does its own way that the servlet API does not reveal, and that the
 * filter must match to stay invisible. Each is checked, on Jetty 12, Tomcat 10.1 and Undertow 2.3,
 * by the side-by-side tests (Tomcat 11 by the Spring Boot 4 tests); on any other container the
 * filter assumes the common behaviour, named with each.
 */
final class ContainerTraits {

    private ContainerTraits() {
    }

    /**
     * Tomcat's reader throws {@link java.nio.charset.MalformedInputException} on bytes that are not
     * valid in the charset; Jetty's (a plain {@link java.io.InputStreamReader}) replaces them with
     * U+FFFD. Elsewhere: replaced.
     */
    static boolean readerReportsMalformedInput(ServletContext context) {
        return isTomcat(context);
    }

    /**
     * Tomcat's reader decodes with {@link jakarta.servlet.http.HttpServletRequest#getCharacterEncoding()},
     * the context's default request encoding included. Jetty's reader ignores that default (it uses
     * the Content-Type's charset, one set by the application, or ISO-8859-1), though its
     * getCharacterEncoding() reports it. Elsewhere: unknown, so the container's own reader is used.
     */
    static boolean readerDecodesWithContextDefault(ServletContext context) {
        return isTomcat(context);
    }

    /**
     * Tomcat (through commons-fileupload) lower-cases the header names of multipart parts; Jetty
     * keeps them as sent. Elsewhere: kept.
     */
    static boolean lowerCasesPartHeaderNames(ServletContext context) {
        return isTomcat(context);
    }

    /**
     * Jetty's reader, once closed, only closes the stream below it and still hands out the
     * characters it holds; Tomcat's, like a plain {@link java.io.BufferedReader}, is closed.
     * Elsewhere: closed.
     */
    static boolean readerStaysOpenOnClose(ServletContext context) {
        return serverInfo(context).startsWith("jetty/");
    }

    /**
     * The charset the container decodes a form with. Tomcat (and, like it, most containers) uses
     * the request's character encoding as it stood when the application asked for parameters
     * ({@code encoding}: the Content-Type's charset, one the application set, or the context's
     * default), ISO-8859-1 when there is none, as the servlet specification says. Jetty 12 uses only
     * the Content-Type's charset, UTF-8 without one, whatever the application set.
     *
     * @throws IllegalArgumentException if the charset is not one this JVM knows
     */
    static Charset formCharset(ServletContext context, String contentType, String encoding) {
        if (serverInfo(context).startsWith("jetty/")) {
            String declared = charsetParameter(contentType);
            return declared == null ? StandardCharsets.UTF_8 : Charset.forName(declared);
        }
        return encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
    }

    private static String charsetParameter(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                String value = parameter.substring(equals + 1).trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    /**
     * Tomcat 11 (since 11.0.0-M25, with servlet 6.1's rule that a response is closed once its
     * Content-Length is written) closes the request's input the moment the response completes:
     * the body the application left unread can no longer be read, by anyone. Tomcat 10.1 and
     * Jetty 12 leave the input open until the request ends. Elsewhere: left open.
     */
    static boolean closesInputWhenResponseCompletes(ServletContext context) {
        String server = serverInfo(context);
        if (!server.startsWith("Apache Tomcat/")) {
            return false;
        }
        String version = server.substring("Apache Tomcat/".length());
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 11;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * What the container's writer writes for {@code println()}: Undertow's writes CRLF; Jetty's and
     * Tomcat's, like {@link java.io.PrintWriter}, the platform's line separator. Elsewhere: the
     * platform's.
     */
    static String writerLineSeparator(ServletContext context) {
        return serverInfo(context).startsWith("Undertow") ? "\r\n" : System.lineSeparator();
    }

    private static boolean isTomcat(ServletContext context) {
        return serverInfo(context).startsWith("Apache Tomcat/");
    }

    private static String serverInfo(ServletContext context) {
        String server = context == null ? null : context.getServerInfo();
        return server == null ? "" : server;
    }
}
