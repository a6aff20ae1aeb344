package ai.molecule.rootfs;

import java.io.IOException;

/**
 * One thing dpkg or a maintainer script would have done to the unpacked tree, done here instead.
 * {@link RootfsAssembler#EFFECTS} is the order they run in.
 */
interface RootfsEffect {
    /** How the debug log and the pinned order name it. */
    String name();

    void apply(Assembly assembly) throws IOException, RootfsException;

    /** Names an effect that only calls one of the emulations, so the list shows what each needs. */
    static RootfsEffect of(String name, Body body) {
        return new Named(name, body);
    }

    /** What a named effect does to the assembly. */
    @FunctionalInterface
    interface Body {
        void apply(Assembly assembly) throws IOException, RootfsException;
    }

    /** An effect made of a name and a body. */
    record Named(String name, Body body) implements RootfsEffect {
        @Override
        public void apply(Assembly assembly) throws IOException, RootfsException {
            body.apply(assembly);
        }
    }
}
