package dev.trafficmirror.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import java.util.EnumSet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real servlet container on a loopback port, running one filter (or none) in front of one servlet. */
interface ServletContainer extends AutoCloseable {

    int port();

    default String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    @Override
    void close() throws Exception;

    /** The containers every servlet test runs on. */
    enum Kind {
        JETTY, TOMCAT;

        ServletContainer start(Filter filter, HttpServlet servlet) throws Exception {
            return start(Deployment.of(servlet).filter(filter));
        }

        ServletContainer start(Deployment deployment) throws Exception {
            return this == JETTY ? jetty(deployment) : tomcat(deployment);
        }
    }

    /**
     * What runs in the container: the servlet at {@code /*}, the filter (none when {@code null}) for
     * the given dispatches, and optionally multipart support, an error page and a default request
     * character encoding for the context.
     */
    record Deployment(HttpServlet servlet, Filter filter, EnumSet<DispatcherType> dispatches,
            MultipartConfigElement multipart, int errorStatus, String errorPage, String requestEncoding) {

        static Deployment of(HttpServlet servlet) {
            return new Deployment(servlet, null, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), null, 0,
                    null, null);
        }

        Deployment filter(Filter newFilter) {
            return new Deployment(servlet, newFilter, dispatches, multipart, errorStatus, errorPage, requestEncoding);
        }

        Deployment dispatches(EnumSet<DispatcherType> newDispatches) {
            return new Deployment(servlet, filter, newDispatches, multipart, errorStatus, errorPage, requestEncoding);
        }

        Deployment multipart(MultipartConfigElement config) {
            return new Deployment(servlet, filter, dispatches, config, errorStatus, errorPage, requestEncoding);
        }

        Deployment errorPage(int status, String location) {
            return new Deployment(servlet, filter, dispatches, multipart, status, location, requestEncoding);
        }

        Deployment requestEncoding(String encoding) {
            return new Deployment(servlet, filter, dispatches, multipart, errorStatus, errorPage, encoding);
        }
    }

    static ServletContainer jetty(Deployment deployment) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(deployment.servlet());
        holder.setAsyncSupported(true);
        if (deployment.multipart() != null) {
            holder.getRegistration().setMultipartConfig(deployment.multipart());
        }
        context.addServlet(holder, "/*");
        if (deployment.filter() != null) {
            FilterHolder filterHolder = new FilterHolder(deployment.filter());
            filterHolder.setAsyncSupported(true);
            context.addFilter(filterHolder, "/*", deployment.dispatches());
        }
        if (deployment.errorPage() != null) {
            ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
            errors.addErrorPage(deployment.errorStatus(), deployment.errorPage());
            context.setErrorHandler(errors);
        }
        if (deployment.requestEncoding() != null) {
            context.setDefaultRequestCharacterEncoding(deployment.requestEncoding());
        }
        server.setHandler(context);
        server.start();
        return new ServletContainer() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }

            @Override
            public String toString() {
                return "Jetty";
            }
        };
    }

    static ServletContainer tomcat(Deployment deployment) throws Exception {
        File base = Files.createTempDirectory("tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        Wrapper wrapper = Tomcat.addServlet(context, "app", deployment.servlet());
        wrapper.setAsyncSupported(true);
        if (deployment.multipart() != null) {
            wrapper.setMultipartConfigElement(deployment.multipart());
        }
        context.addServletMappingDecoded("/*", "app");
        if (deployment.filter() != null) {
            FilterDef filterDef = new FilterDef();
            filterDef.setFilterName("mirror");
            filterDef.setFilter(deployment.filter());
            filterDef.setAsyncSupported("true");
            context.addFilterDef(filterDef);
            FilterMap filterMap = new FilterMap();
            filterMap.setFilterName("mirror");
            filterMap.addURLPattern("/*");
            for (DispatcherType type : deployment.dispatches()) {
                filterMap.setDispatcher(type.name());
            }
            context.addFilterMap(filterMap);
        }
        if (deployment.errorPage() != null) {
            ErrorPage page = new ErrorPage();
            page.setErrorCode(deployment.errorStatus());
            page.setLocation(deployment.errorPage());
            context.addErrorPage(page);
        }
        if (deployment.requestEncoding() != null) {
            context.setRequestCharacterEncoding(deployment.requestEncoding());
        }
        tomcat.start();
        return new ServletContainer() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }

            @Override
            public String toString() {
                return "Tomcat";
            }
        };
    }
}
