package dev.deploy.host;

import java.io.IOException;

/** A connection that passes everything to another; tests override one method to make a fault. */
public class ForwardingConnection implements HostConnection {

    protected final HostConnection delegate;

    public ForwardingConnection(HostConnection delegate) {
        this.delegate = delegate;
    }

    @Override
    public String hostName() {
        return delegate.hostName();
    }

    @Override
    public CommandResult run(String script, StdinWriter stdin) throws IOException {
        return delegate.run(script, stdin);
    }

    @Override
    public RunningCommand start(String script) throws IOException {
        return delegate.start(script);
    }

    @Override
    public Forward forward(String address, int port) throws IOException {
        return delegate.forward(address, port);
    }

    @Override
    public TransportStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
