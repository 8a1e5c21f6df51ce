package dev.trafficmirror.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which requests are mirrored, by path, method and the primary's status: the same settings under
 * {@code mirror.*} for every target and under {@code mirror.targets[i].*} for one, where they add to
 * the mirror's (a request must pass both). Bound as given; {@link MirrorBuilderConfigurer} checks
 * them when it applies them.
 */
public abstract class RequestSelectionProperties {

    /**
     * Ant-style patterns of the request paths mirrored, as Spring MVC mappings are written, e.g.
     * /api/**: ? is one character, * anything within a segment, {name} one segment, ** any number of
     * segments, {*rest} the rest of the path. Matched against the path within the application (after
     * server.servlet.context-path), percent-decoded. Empty (the default): every path. Other requests
     * are counted as excluded.
     */
    private List<String> includePaths = new ArrayList<>();

    /**
     * Ant-style patterns of request paths never mirrored, e.g. /api/admin/** or /pay/{id}/capture;
     * they win over 'include-paths'. Such requests are counted as excluded.
     */
    private List<String> excludePaths = new ArrayList<>();

    /**
     * HTTP methods mirrored, e.g. GET,HEAD. Empty (the default): every method. Other requests are
     * counted as excluded.
     */
    private List<String> methods = new ArrayList<>();

    /**
     * Primary statuses whose requests are mirrored: status classes (2xx), codes (404) or ranges
     * (200-399), e.g. 2xx,304. Decided once the primary has answered; other requests are counted as
     * primary_status. Empty (the default): whatever the status; a target without its own takes the
     * mirror's.
     */
    private List<String> primaryStatus = new ArrayList<>();

    public List<String> getIncludePaths() {
        return includePaths;
    }

    public void setIncludePaths(List<String> includePaths) {
        this.includePaths = orEmpty(includePaths);
    }

    public List<String> getExcludePaths() {
        return excludePaths;
    }

    public void setExcludePaths(List<String> excludePaths) {
        this.excludePaths = orEmpty(excludePaths);
    }

    public List<String> getMethods() {
        return methods;
    }

    /** Methods are kept in upper case, as they are compared. */
    public void setMethods(List<String> methods) {
        this.methods = orEmpty(methods).stream().map(method -> method.trim().toUpperCase(Locale.ROOT))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    public List<String> getPrimaryStatus() {
        return primaryStatus;
    }

    public void setPrimaryStatus(List<String> primaryStatus) {
        this.primaryStatus = orEmpty(primaryStatus).stream().map(String::trim)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** Adds the selection's non-empty settings to an endpoint view; {@code all} adds the empty ones too. */
    void describeSelection(Map<String, Object> view, boolean all) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put("include-paths", includePaths);
        settings.put("exclude-paths", excludePaths);
        settings.put("methods", methods);
        settings.put("primary-status", primaryStatus);
        settings.forEach((name, values) -> {
            if (all || !values.isEmpty()) {
                view.put(name, List.copyOf(values));
            }
        });
    }

    static <T> List<T> orEmpty(List<T> values) {
        return values == null ? new ArrayList<>() : values;
    }
}
