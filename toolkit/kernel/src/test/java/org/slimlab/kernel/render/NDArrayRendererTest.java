package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class NDArrayRendererTest {

    @Test
    void arraysShowShapeDtypeAndAbbreviatedValues() {
        DisplayData small = RenderersTest.renderer().render(Nd4j.arange(6).reshape(2, 3).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        String text = (String) small.getData(MIMEType.TEXT_PLAIN);
        assertThat(text).startsWith("INDArray float [2, 3] (6 elements)").contains("5.0000");
        assertThat((String) small.getData(MIMEType.TEXT_HTML)).contains("<b>INDArray float [2, 3]");
        String big = (String) RenderersTest.renderer().render(Nd4j.zeros(100, 100)).getData(MIMEType.TEXT_PLAIN);
        assertThat(big).contains("(10000 elements)").contains("...");
        assertThat(big.length()).isLessThan(3000);
    }
}
