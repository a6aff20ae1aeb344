package ai.molecule.lock;

import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code molecule:lock} may change. By default it keeps every locked version whose inputs did
 * not change and resolves only what is new.
 *
 * @param upgrade resolve every component afresh ({@code -Dmolecule.lock.upgrade})
 * @param update names to resolve afresh with what they depend on, in any ecosystem ({@code
 *     -Dmolecule.lock.update=curl,@anthropic-ai/claude-code})
 */
public record LockRequest(boolean upgrade, Set<String> update) {
    public static final LockRequest KEEP = new LockRequest(false, Set.of());

    public LockRequest {
        update = Set.copyOf(new TreeSet<>(update));
    }
}
