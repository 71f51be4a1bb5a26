import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (cli/pom.xml, execution {@code class-file-upgrade}): rewrites the class files of a jar compiled for
 * Java 5 (class file version 49) as version 52 with stack map frames computed by ASM, in place.
 *
 * <p>Why: the JVM's class-data sharing only archives classes it can verify with the type-checking verifier, which
 * needs version 50 or later (JVMS 4.10.1). picocli 4.7 ships Java 5 class files, so every start of {@code ./deploy}
 * loaded, parsed and verified its 178 classes from the jar (docs/BENCHMARKS.md: about a sixth of a plan's CPU).
 * The bytecode itself is unchanged; only the version and the {@code StackMapTable} attributes differ. Classes under
 * {@code META-INF/versions/} (module-info) and every other entry are copied as they are.
 *
 * <p>Usage: {@code java -cp asm.jar:JAR ClassFileUpgrade.java JAR}. The jar itself must be on the class path: frame
 * computation loads its classes (without initialising them) to find common super classes. A class that cannot be
 * resolved fails the build rather than guessing a frame.
 */
public final class ClassFileUpgrade {

    private ClassFileUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path upgraded = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int classes = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                OutputStream file = Files.newOutputStream(upgraded);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = readAll(in);
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    bytes = upgrade(bytes);
                    classes++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("class-file-upgrade: " + classes + " classes of " + jar.getFileName() + " now version 52");
    }

    private static byte[] upgrade(byte[] original) {
        ClassReader reader = new ClassReader(original);
        if (reader.readUnsignedShort(6) >= Opcodes.V1_8) {
            return original;
        }
        // No ClassReader passed to the writer: it would copy unchanged methods verbatim, without frames.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
    }
}
