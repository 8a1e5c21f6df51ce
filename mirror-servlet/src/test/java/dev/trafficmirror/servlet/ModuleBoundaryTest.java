package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Mirror;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the JVM sees of the jars on a module path: their names, and that only the API is exported. */
class ModuleBoundaryTest {

    private static ModuleDescriptor descriptorOf(Class<?> type) throws Exception {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertThat(found).as("a module at " + location).hasSize(1);
        return found.iterator().next().descriptor();
    }

    private static Set<String> exported(ModuleDescriptor descriptor) {
        return descriptor.exports().stream().filter(exports -> !exports.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void shouldExportTheCoreApiAndKeepTheWireCodeTheComparisonEngineAndTheFileRecorderInside() throws Exception {
        ModuleDescriptor core = descriptorOf(Mirror.class);

        assertThat(core.name()).isEqualTo("dev.trafficmirror.core");
        assertThat(core.isAutomatic()).isFalse();
        assertThat(exported(core)).containsExactlyInAnyOrder("dev.trafficmirror.core",
                "dev.trafficmirror.core.compare", "dev.trafficmirror.core.integration", "dev.trafficmirror.core.record");
        assertThat(core.packages()).contains("dev.trafficmirror.core.http", "dev.trafficmirror.core.compare.engine",
                "dev.trafficmirror.core.record.file");
        assertThat(core.uses()).containsExactly("dev.trafficmirror.core.record.RecorderProvider");
    }

    @Test
    void shouldExportTheFilterAlone() throws Exception {
        ModuleDescriptor servlet = descriptorOf(MirrorFilter.class);

        assertThat(servlet.name()).isEqualTo("dev.trafficmirror.servlet");
        assertThat(exported(servlet)).containsExactly("dev.trafficmirror.servlet");
        assertThat(servlet.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("dev.trafficmirror.core", "jakarta.servlet");
    }
}
