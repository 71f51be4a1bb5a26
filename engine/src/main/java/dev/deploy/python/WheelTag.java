package dev.deploy.python;

/** One PEP 425 compatibility tag: interpreter, ABI and platform, e.g. {@code cp311-abi3-manylinux_2_17_x86_64}. */
public record WheelTag(String interpreter, String abi, String platform) {

    @Override
    public String toString() {
        return interpreter + "-" + abi + "-" + platform;
    }
}
