package dev.deploy.cli;

/** Counts in English: {@code 1 host}, {@code 3 hosts}. */
final class Words {

    private Words() {
    }

    /** {@code count} and {@code noun}, plural with an s unless the count is 1. */
    static String count(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }
}
