package dev.deploy.host.ssh;

import net.schmizz.sshj.connection.channel.direct.Session;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The stdin of an exec channel that only ever hands sshj as many bytes as the remote window has room for, and waits
 * for room itself. sshj's own stream blocks for window space while holding a lock that its reader thread needs to
 * process the channel's close: a command that exits without reading all of its input would freeze the whole
 * connection. sshj also gives up waiting after its connection timeout, which would silently cut off the input of a
 * command that is merely slow to read. This stream waits as long as the command runs and stops when it has ended.
 */
final class WindowedStdin extends OutputStream {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Session.Command command;
    private final OutputStream channel;

    WindowedStdin(Session.Command command) {
        this.command = command;
        this.channel = command.getOutputStream();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            long room = awaitRoom();
            int now = (int) Math.min(length, Math.min(room, command.getRemoteMaxPacketSize()));
            channel.write(bytes, offset, now);
            // Send at once: with room for them, sshj sends these bytes without waiting.
            channel.flush();
            offset += now;
            length -= now;
        }
    }

    /** Sends end-of-file. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    private long awaitRoom() throws IOException {
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            long room = command.getRemoteWinSize();
            if (room > 0) {
                return room;
            }
            if (!command.isOpen() || command.getExitStatus() != null || command.getExitSignal() != null) {
                throw new IOException("the command has ended and reads no more input");
            }
            LockSupport.parkNanos(pause);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for the command to read its input");
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }
}
