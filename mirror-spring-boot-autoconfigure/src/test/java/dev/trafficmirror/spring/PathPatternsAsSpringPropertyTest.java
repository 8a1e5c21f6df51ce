package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Conditions;
import dev.trafficmirror.core.MirrorRequest;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The mirror's path patterns match what Spring MVC's own {@link PathPattern}s match, for the
 * syntax both share: {@code ?}, {@code *}, {@code {name}}, a trailing {@code **} and a trailing
 * {@code {*rest}}. An exclusion written like a controller mapping excludes what that mapping serves.
 */
class PathPatternsAsSpringPropertyTest {

    private static final List<String> LETTERS = List.of("a", "b", "ab", "ba", "pay", "7", "x.json");

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(LETTERS)),
                Tuple.of(2, Arbitraries.of("*", "?", "a*", "*b", "?b", "{id}", "a{id}", "{id}.json")));
        Arbitrary<String> tail = Arbitraries.of("", "", "/**", "/{*rest}");
        return Combinators.combine(segment.list().ofMinSize(1).ofMaxSize(4), tail)
                .as((segments, end) -> uniqueVariables("/" + String.join("/", segments) + end));
    }

    /** Spring refuses a variable named twice: {id}, {id} become {id0}, {id1}. */
    private static String uniqueVariables(String pattern) {
        StringBuilder unique = new StringBuilder();
        int at = 0;
        int count = 0;
        for (int next; (next = pattern.indexOf("{id}", at)) >= 0; at = next + 4) {
            unique.append(pattern, at, next).append("{id").append(count++).append('}');
        }
        return unique.append(pattern.substring(at)).toString();
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(LETTERS).list().ofMinSize(1).ofMaxSize(6).map(segments -> "/" + String.join("/", segments));
    }

    @Property(tries = 1000)
    void shouldMatchWhatSpringMvcMatches(@ForAll("patterns") String pattern, @ForAll("paths") String path) {
        PathPattern spring = PathPatternParser.defaultInstance.parse(pattern);
        boolean expected = spring.matches(PathContainer.parsePath(path));
        Statistics.collect(expected ? "match" : "no match");
        Statistics.coverage(coverage -> coverage.check("match").percentage(p -> p > 5));

        boolean actual = Conditions.requestTo(pattern).test(MirrorRequest.builder("GET", path).build());

        assertThat(actual).as("%s against %s", pattern, path).isEqualTo(expected);
    }
}
