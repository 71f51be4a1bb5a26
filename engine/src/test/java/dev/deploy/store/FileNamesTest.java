package dev.deploy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void everyByteSequenceSurvivesDecodeThenEncode() {
        for (int b = 1; b < 256; b++) {
            byte[] one = {(byte) b};
            assertThat(FileNames.encode(FileNames.decode(one))).as("byte %d", b).isEqualTo(one);
        }
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            random.nextBytes(bytes);
            assertThat(FileNames.encode(FileNames.decode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void validUtf8IsPlainTextAndInvalidBytesAreEscapes() {
        byte[] utf8 = "Ärger Öl.txt 🚀".getBytes(StandardCharsets.UTF_8);
        assertThat(FileNames.decode(utf8)).isEqualTo("Ärger Öl.txt 🚀");
        assertThat(FileNames.encode("Ärger Öl.txt 🚀")).isEqualTo(utf8);
        String latin1 = FileNames.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'});
        assertThat(latin1).isEqualTo("caf\uDCE9.txt");
        assertThat(FileNames.hasRawBytes(latin1)).isTrue();
        assertThat(FileNames.display(latin1)).isEqualTo("caf\\xe9.txt");
        // an encoded surrogate (CESU-8) and an overlong '/' are not UTF-8: escaped byte by byte, never merged
        byte[] cesu = {(byte) 0xed, (byte) 0xb2, (byte) 0x80, (byte) 0xc0, (byte) 0xaf};
        assertThat(FileNames.decode(cesu)).isEqualTo("\uDCED\uDCB2\uDC80\uDCC0\uDCAF");
        assertThat(FileNames.decode(cesu)).doesNotContain("/");
    }

    @Test
    void aSupplementaryCharacterWhoseLowSurrogateLooksLikeAnEscapeIsNotOne() {
        String name = new String(Character.toChars(0x10080)) + "\uDCE9";
        assertThat(FileNames.encode(name)).isEqualTo(new byte[] {(byte) 0xf0, (byte) 0x90, (byte) 0x82, (byte) 0x80,
                (byte) 0xe9});
        assertThat(FileNames.decode(FileNames.encode(name))).isEqualTo(name);
        assertThat(FileNames.display(name)).isEqualTo(new String(Character.toChars(0x10080)) + "\\xe9");
    }

    @Test
    void aLoneSurrogateThatNoBytesDecodeToCannotBeEncoded() {
        assertThatThrownBy(() -> FileNames.encode("a\uD800b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileNames.encode("a\uDC41")).isInstanceOf(IllegalArgumentException.class);
    }
}
