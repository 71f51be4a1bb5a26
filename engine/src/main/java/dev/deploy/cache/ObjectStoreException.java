package dev.deploy.cache;

/** An object-store request failed or timed out; the message is one line and names the operation and key. */
public final class ObjectStoreException extends RuntimeException {

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectStoreException(String message) {
        super(message);
    }
}
