package dev.deploy.activation;

import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.TransportStats;
import java.io.IOException;

/** A connection that passes everything to another; tests override one method to make a fault. */
class ForwardingConnection implements HostConnection {

    final HostConnection delegate;

    ForwardingConnection(HostConnection delegate) {
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
