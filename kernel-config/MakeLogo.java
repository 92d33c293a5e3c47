import javax.imageio.ImageIO;
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.File;

/** Draws kernel-config/logo-64x64.png: `java kernel-config/MakeLogo.java kernel-config/logo-64x64.png`. */
public class MakeLogo {
    public static void main(String[] args) throws Exception {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x1f, 0x4e, 0x79));
        g.fillRoundRect(2, 2, 60, 60, 14, 14);
        // a pruned network: bars of shrinking width
        g.setColor(new Color(0xf2, 0xa9, 0x00));
        int[] widths = {44, 34, 24, 14};
        for (int i = 0; i < widths.length; i++) g.fillRoundRect(32 - widths[i] / 2, 12 + i * 11, widths[i], 7, 4, 4);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 10));
        g.drawString("SlimLab", 12, 60);
        g.dispose();
        ImageIO.write(img, "png", new File(args.length > 0 ? args[0] : "logo-64x64.png"));
    }
}
