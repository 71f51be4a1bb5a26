package dev.deploy.host.ssh;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.transport.mac.Macs;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.SecurityUtils;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.List;

/**
 * sshj on the JDK's own providers: curve25519 key exchange (XDH), ed25519/ECDSA/RSA host and client keys, AES-GCM
 * and AES-CTR with SHA-2 MACs. BouncyCastle is not registered, so a normal run never loads or verifies its signed
 * jars; {@link #addBouncyCastleFallback()} adds it, last in line, for the key files that still need it.
 */
final class JdkCrypto {

    private static final Object LOCK = new Object();
    private static boolean bouncyCastleAdded;

    private JdkCrypto() {
    }

    /** The sshj configuration every connection uses; call before any other sshj class does cryptography. */
    static Config config() {
        SecurityUtils.setRegisterBouncyCastle(false);
        synchronized (LOCK) {
            if (Security.getProvider(EcdsaAlias.NAME) == null) {
                Security.addProvider(new EcdsaAlias());
            }
        }
        return new Jdk();
    }

    /**
     * Adds BouncyCastle after the JDK's providers, once, for key files sshj cannot read with the JDK alone
     * (PEM/PKCS#8 and PuTTY files). The JDK's providers still come first for everything they have.
     */
    static void addBouncyCastleFallback() {
        synchronized (LOCK) {
            if (bouncyCastleAdded) {
                return;
            }
            bouncyCastleAdded = true;
            try {
                Provider bc = (Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
                        .getDeclaredConstructor().newInstance();
                if (Security.getProvider(bc.getName()) == null) {
                    Security.addProvider(bc);
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // Without BouncyCastle such a key fails to load and is reported by name.
            }
        }
    }

    /**
     * sshj's defaults minus what needs BouncyCastle, in OpenSSH's own client order (ssh_config(5) {@code Ciphers}:
     * AES-CTR before AES-GCM) with encrypt-then-MAC SHA-2 MACs first. On JDK 17 AES-CTR with HMAC-SHA-256 costs about
     * 40% less controller CPU than AES-GCM for the same bytes (docs/BENCHMARKS.md, issue 15); both are AES-NI backed.
     */
    private static final class Jdk extends DefaultConfig {
        Jdk() {
            setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        }

        @Override
        protected void initCipherFactories() {
            setCipherFactories(List.of(BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(), BlockCiphers.AES256CTR(),
                    GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM()));
        }

        @Override
        protected void initMACFactories() {
            setMACFactories(List.of(Macs.HMACSHA2256Etm(), Macs.HMACSHA2512Etm(), Macs.HMACSHA2256(),
                    Macs.HMACSHA2512(), Macs.HMACSHA1Etm(), Macs.HMACSHA1()));
        }
    }

    /**
     * sshj asks for the key factory "ECDSA" (BouncyCastle's name); the JDK calls it "EC". This provider answers
     * "ECDSA" with the JDK's EC key factory.
     */
    static final class EcdsaAlias extends Provider {
        static final String NAME = "DeployEcdsaAlias";

        EcdsaAlias() {
            super(NAME, "1.0", "KeyFactory.ECDSA as the JDK's EC key factory");
            put("KeyFactory.ECDSA", EcKeyFactory.class.getName());
        }
    }

    /** The JDK's EC key factory under another name. */
    public static final class EcKeyFactory extends KeyFactorySpi {
        private final KeyFactory ec;

        public EcKeyFactory() throws NoSuchAlgorithmException {
            ec = KeyFactory.getInstance("EC");
        }

        @Override
        protected PublicKey engineGeneratePublic(KeySpec keySpec) throws InvalidKeySpecException {
            return ec.generatePublic(keySpec);
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec keySpec) throws InvalidKeySpecException {
            return ec.generatePrivate(keySpec);
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> keySpec) throws InvalidKeySpecException {
            return ec.getKeySpec(key, keySpec);
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            return ec.translateKey(key);
        }
    }
}
