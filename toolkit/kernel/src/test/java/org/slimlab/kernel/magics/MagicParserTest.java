package org.slimlab.kernel.magics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MagicParserTest {

    @Test
    void lineMagicsSplitTheCellIntoPiecesWithTheirLines() {
        List<MagicParser.Segment> s = MagicParser.parse("int a = 1;\n%maven org.apache.commons:commons-text:1.10.0\n\nvar t = 2;");
        assertThat(s).containsExactly(
                new MagicParser.Code("int a = 1;", 0),
                new MagicParser.Line("maven", List.of("org.apache.commons:commons-text:1.10.0"), "org.apache.commons:commons-text:1.10.0", 1),
                new MagicParser.Code("\nvar t = 2;", 2));
    }

    @Test
    void cellMagicTakesTheWholeBody() {
        List<MagicParser.Segment> s = MagicParser.parse("\n%%time -v\nint a = 1;\na + 1");
        assertThat(s).containsExactly(new MagicParser.Cell("time", List.of("-v"), "int a = 1;\na + 1", 2));
    }

    @Test
    void plainJavaIsOneCodeSegmentAndModuloIsNotAMagic() {
        assertThat(MagicParser.parse("int m = 7\n % 3;")).containsExactly(new MagicParser.Code("int m = 7\n % 3;", 0));
    }

    @Test
    void argumentsHonourQuotesAndEscapes() {
        assertThat(MagicParser.splitArgs(" a  \"b c\" 'd e' f\\ g ")).containsExactly("a", "b c", "d e", "f g");
        MagicParser.Line l = (MagicParser.Line) MagicParser.parse("%timeit -n 10 s.split(\" \")").get(0);
        assertThat(l.raw()).isEqualTo("-n 10 s.split(\" \")");
    }

    @Test
    void mavenCoordinatesParseWithBundleMeaningJar() {
        var a = MavenResolver.parseCoordinates("org.apache.felix:org.apache.felix.scr:bundle:2.2.6");
        assertThat(a.getExtension()).isEqualTo("jar");
        assertThat(a.getVersion()).isEqualTo("2.2.6");
        var b = MavenResolver.parseCoordinates("org.nd4j:nd4j-native:jar:linux-x86_64:1.0.0-M2.1");
        assertThat(b.getClassifier()).isEqualTo("linux-x86_64");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MavenResolver.parseCoordinates("just-a-name"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
