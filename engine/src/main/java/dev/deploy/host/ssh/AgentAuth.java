package dev.deploy.host.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

import java.io.IOException;

/**
 * The {@code publickey} login method (RFC 4252 section 7) with a key held by ssh-agent: the server is first asked
 * whether it would accept the key, and only then is the agent asked to sign the session's request. RSA keys sign with
 * SHA-512 ({@code rsa-sha2-512}, RFC 8332), as OpenSSH does.
 */
final class AgentAuth extends AbstractAuthMethod {

    private final AgentClient agent;
    private final AgentClient.Identity identity;
    private final HopWatch watch;

    /** {@code watch}: the hop's deadlines, stopped while the agent signs (it may wait for a touch). */
    AgentAuth(AgentClient agent, AgentClient.Identity identity, HopWatch watch) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        this.watch = watch;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) {
            SSHPacket signed = request(true);
            byte[] data = new Buffer.PlainBuffer()
                    .putString(params.getTransport().getSessionID())
                    .putBuffer(signed)
                    .getCompactData();
            byte[] signature;
            try {
                signature = watch.whileWaitingLocally(() -> agent.sign(identity.publicKeyBlob(), data, flags()));
            } catch (IOException e) {
                throw new UserAuthException("ssh-agent could not sign with " + identity.fingerprint() + ": "
                        + e.getMessage(), e);
            }
            params.getTransport().write(signed.putString(signature));
        } else {
            super.handle(cmd, buf);
        }
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        return super.buildReq().putBoolean(signed).putString(algorithm()).putString(identity.publicKeyBlob());
    }

    private String algorithm() {
        String type = identity.keyType();
        return type.equals("ssh-rsa") ? "rsa-sha2-512" : type;
    }

    private int flags() {
        return identity.keyType().equals("ssh-rsa") ? AgentClient.RSA_SHA2_512 : 0;
    }

    @Override
    public String toString() {
        return "agent key " + identity.fingerprint() + " (" + identity.comment() + ")";
    }
}
