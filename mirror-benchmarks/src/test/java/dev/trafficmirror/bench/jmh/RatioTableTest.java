package dev.trafficmirror.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatioTableTest {

    private static final List<String> CSV = List.of(
            "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: bodyBytes\",\"Param: bytes\"",
            "\"a.B.baselineNoFilter\",\"avgt\",1,8,200.0,10.0,\"ns/op\",1024,",
            "\"a.B.baselineNoFilter:gc.alloc.rate.norm\",\"avgt\",1,8,100.0,0.5,\"B/op\",1024,",
            "\"a.B.mirrored\",\"avgt\",1,8,2200.0,50.0,\"ns/op\",1024,",
            "\"a.B.mirrored:gc.alloc.rate.norm\",\"avgt\",1,8,4700.0,3.0,\"B/op\",1024,",
            "\"a.B.mirrored:gc.count\",\"avgt\",1,8,13.0,NaN,\"counts\",1024,",
            "\"a.T.baselineRawStream\",\"avgt\",1,8,500.0,1.0,\"ns/op\",,65536",
            "\"a.T.teeStream\",\"avgt\",1,8,1000.0,2.0,\"ns/op\",,65536");

    @Test
    void shouldSetEachBenchmarkAgainstTheBaselineOfItsClassAndParameters() {
        String table = RatioTable.render(RatioTable.parse(CSV));

        assertThat(table).contains("`B`", "`T`")
                .contains("| mirrored | bodyBytes=1024 | 2,200.0 ± 50.0 ns/op | 11.00 | +2,000.0 ns/op | 4,700 B | +4,600 B |  |")
                .contains("| baselineNoFilter | bodyBytes=1024 | 200.0 ± 10.0 ns/op | 1.00 |  | 100 B |  |  |")
                .contains("| teeStream | bytes=65536 | 1,000.0 ± 2.0 ns/op | 2.00 | +500.0 ns/op |  |  | 65,536 MB/s |")
                .doesNotContain("gc.count");
    }

    @Test
    void shouldReadQuotedFieldsWithCommas() {
        assertThat(RatioTable.fields("\"a,b\",1,\"say \"\"hi\"\"\",")).containsExactly("a,b", "1", "say \"hi\"", "");
    }
}
