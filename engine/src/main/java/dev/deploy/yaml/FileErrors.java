package dev.deploy.yaml;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file on the controller could not be read or written, in words: java.nio reports most of these as an
 * exception whose message is only the path ({@link AccessDeniedException}: "/x/inventory.yaml"), which made errors
 * like "inventory.yaml: cannot read: inventory.yaml" that do not say why.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** {@code permission denied}, {@code no such file}, {@code not a directory}, the system's reason, or the message. */
    public static String describe(IOException error) {
        String why = reason(error);
        // a reason in words names the file too; the bare message of an unknown failure already does
        return error instanceof FileSystemException fs && fs.getFile() != null && !why.equals(error.getMessage())
                ? why + " (" + fs.getFile() + ")" : why;
    }

    /**
     * The same words without the file java.nio names, for where that file is not the user's (a temporary file
     * written next to it).
     */
    public static String reason(IOException error) {
        if (error instanceof AccessDeniedException) {
            return "permission denied";
        } else if (error instanceof NoSuchFileException) {
            return "no such file";
        } else if (error instanceof NotDirectoryException) {
            return "not a directory";
        } else if (error instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
