package dev.trafficmirror.spring;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Keys under {@code mirror.} that are none of trafficmirror's properties ({@code mirror.precentage},
 * {@code mirror.tagret}): thrown at start-up, because such a key would be ignored without a word
 * and mirroring would not do what its owner meant. Keys are compared in every relaxed form
 * ({@code mirror.excludePaths}, {@code MIRROR_EXCLUDE_PATHS}).
 */
final class UnknownMirrorProperties extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final ConfigurationPropertyName MIRROR = ConfigurationPropertyName.of("mirror");
    private static final String PREFIX = "mirror.";
    private static final String ANY_KEY = ".<name>";
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");
    /** Every property, list indices as {@code [*]}, map entries as {@code .<name>}: read once from the classes. */
    private static final List<String> KNOWN = propertyNames(PREFIX, MirrorProperties.class);

    private final transient List<ConfigurationProperty> unknown;

    private UnknownMirrorProperties(List<ConfigurationProperty> unknown) {
        super("not properties of trafficmirror's mirror: "
                + unknown.stream().map(property -> property.getName().toString()).toList());
        this.unknown = unknown;
    }

    /** @throws UnknownMirrorProperties if the environment has a {@code mirror.} key that is no property */
    static void check(Environment environment) {
        List<ConfigurationProperty> unknown = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource names) {
                names.filter(MIRROR::isAncestorOf).stream().filter(name -> !isKnown(name.toString()))
                        .map(source::getConfigurationProperty).forEach(unknown::add);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(Comparator.comparing(property -> property.getName().toString()));
            throw new UnknownMirrorProperties(unknown);
        }
    }

    List<ConfigurationProperty> unknown() {
        return unknown;
    }

    private static boolean isKnown(String name) {
        String general = squashed(INDEX.matcher(name).replaceAll("[*]"));
        for (String known : KNOWN) {
            if (known.endsWith(ANY_KEY)) {
                String map = squashed(known.substring(0, known.length() - ANY_KEY.length()));
                if (general.startsWith(map) && general.length() > map.length()) {
                    return true;
                }
            } else if (general.equals(squashed(known))) {
                return true;
            }
        }
        return false;
    }

    /** A name without dashes and dots, as relaxed binding compares {@code excludePaths} and {@code EXCLUDE_PATHS}. */
    private static String squashed(String name) {
        return name.replace("-", "").replace(".", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** The known property closest to {@code name}, with the indices {@code name} has. */
    static String nearest(String name) {
        String general = INDEX.matcher(name).replaceAll("[*]");
        String best = KNOWN.stream().min(Comparator.comparingInt(known -> distance(general, known))).orElseThrow();
        Matcher index = INDEX.matcher(name);
        while (index.find()) {
            best = best.replaceFirst("\\[\\*]", Matcher.quoteReplacement(index.group()));
        }
        return best;
    }

    /** Every property of {@code type} under {@code prefix}, nested groups and list elements included. */
    private static List<String> propertyNames(String prefix, Class<?> type) {
        List<String> names = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getReadMethod() == null || property.getName().equals("class")) {
                continue;
            }
            String name = prefix + property.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            Class<?> propertyType = property.getPropertyType();
            if (name.equals(PREFIX + "targets")) {
                names.addAll(propertyNames(name + "[*].", MirrorProperties.TargetProperties.class));
            } else if (propertyType.getEnclosingClass() == MirrorProperties.class && !propertyType.isEnum()) {
                names.addAll(propertyNames(name + ".", propertyType));
            } else if (property.getWriteMethod() != null) {
                names.add(Map.class.isAssignableFrom(propertyType) ? name + ANY_KEY : name);
            }
        }
        return names.stream().distinct().toList();
    }

    /** Levenshtein's distance: how many one-character edits make {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
