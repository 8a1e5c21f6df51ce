package dev.trafficmirror.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import java.io.File;
import java.net.InetSocketAddress;
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

    /**
     * The containers every servlet test runs on: Jetty 12 and Tomcat (10.1, the version Spring Boot
     * 3.5 brings; Tomcat 11 runs in mirror-spring-boot4-tests), and Undertow 2.3, for the Spring Boot
     * 3.5 applications that run on it (Spring Boot 4 no longer supports it).
     */
    enum Kind {
        JETTY, TOMCAT, UNDERTOW;

        ServletContainer start(Filter filter, HttpServlet servlet) throws Exception {
            return start(Deployment.of(servlet).filter(filter));
        }

        ServletContainer start(Deployment deployment) throws Exception {
            return switch (this) {
                case JETTY -> jetty(deployment);
                case TOMCAT -> tomcat(deployment);
                case UNDERTOW -> undertow(deployment);
            };
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

    static ServletContainer undertow(Deployment deployment) throws Exception {
        DeploymentInfo info = Servlets.deployment().setClassLoader(ServletContainer.class.getClassLoader())
                .setContextPath("/").setDeploymentName("app");
        ServletInfo servlet = Servlets.servlet("app", deployment.servlet().getClass(),
                new ImmediateInstanceFactory<>(deployment.servlet())).addMapping("/*").setAsyncSupported(true);
        if (deployment.multipart() != null) {
            servlet.setMultipartConfig(deployment.multipart());
        }
        info.addServlet(servlet);
        if (deployment.filter() != null) {
            info.addFilter(Servlets.filter("mirror", deployment.filter().getClass(),
                    new ImmediateInstanceFactory<>(deployment.filter())).setAsyncSupported(true));
            for (DispatcherType type : deployment.dispatches()) {
                info.addFilterUrlMapping("mirror", "/*", type);
            }
        }
        if (deployment.errorPage() != null) {
            info.addErrorPage(new io.undertow.servlet.api.ErrorPage(deployment.errorPage(), deployment.errorStatus()));
        }
        if (deployment.requestEncoding() != null) {
            info.setDefaultRequestEncoding(deployment.requestEncoding());
        }
        DeploymentManager manager = Servlets.newContainer().addDeployment(info);
        manager.deploy();
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setWorkerThreads(64)
                .setHandler(manager.start()).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return new ServletContainer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() throws Exception {
                server.stop();
                manager.stop();
                manager.undeploy();
            }

            @Override
            public String toString() {
                return "Undertow";
            }
        };
    }
}
