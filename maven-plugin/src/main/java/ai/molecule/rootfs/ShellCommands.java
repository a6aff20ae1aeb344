package ai.molecule.rootfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the simple commands of a maintainer script, well enough to read what {@code
 * update-alternatives}, {@code adduser} and friends would be called with — without running the
 * script. Quotes, backslash-newline continuations, comments, here-documents and {@code $(…)} are
 * understood; anything that would need the shell to expand it (variables, command substitution,
 * globs) marks the word as {@link Word#expanded() expanded}, so callers can skip a call they cannot
 * know the arguments of instead of guessing.
 */
final class ShellCommands {
    private static final Set<String> KEYWORDS =
            Set.of("if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "exec");

    /** One word after quote removal; {@code expanded} when its value depends on the shell's state. */
    record Word(String text, boolean expanded) {}

    /**
     * A simple command: its program's base name ({@code adduser} for {@code /usr/sbin/adduser}), the
     * arguments, and the script line it starts on (1-based) for messages.
     */
    record Command(String program, List<Word> arguments, int line) {
        Command {
            arguments = List.copyOf(arguments);
        }

        boolean anyExpanded() {
            return arguments.stream().anyMatch(Word::expanded);
        }

        List<String> texts() {
            return arguments.stream().map(Word::text).toList();
        }
    }

    private final String text;
    private int pos;
    private int line = 1;
    private final List<String> pendingHeredocs = new ArrayList<>();

    private ShellCommands(String text) {
        this.text = text;
    }

    /** Every simple command of {@code script}, in order. */
    static List<Command> parse(String script) {
        return new ShellCommands(script).commands();
    }

    /** The commands of {@code script} that run {@code program} (by base name). */
    static List<Command> calls(String script, String program) {
        return parse(script).stream().filter(c -> c.program().equals(program)).toList();
    }

    private List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        List<Word> words = new ArrayList<>();
        int startLine = line;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else if (c == '\n') {
                pos++;
                line++;
                flush(commands, words, startLine);
                skipHeredocBodies();
                startLine = line;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
                pos++;
                flush(commands, words, startLine);
                startLine = line;
            } else if (c == '<' && text.startsWith("<<", pos)) {
                readHeredocStart();
            } else if ((c == '<' || c == '>') || (Character.isDigit(c) && redirectionFollows())) {
                skipRedirection();
            } else {
                if (words.isEmpty()) {
                    startLine = line;
                }
                words.add(readWord());
            }
        }
        flush(commands, words, startLine);
        return commands;
    }

    private void flush(List<Command> commands, List<Word> words, int startLine) {
        int first = 0;
        while (first < words.size()
                && !words.get(first).expanded()
                && (KEYWORDS.contains(words.get(first).text())
                        || words.get(first).text().matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
            first++;
        }
        if (first < words.size() && !words.get(first).expanded()) {
            String program = words.get(first).text();
            program = program.substring(program.lastIndexOf('/') + 1);
            commands.add(new Command(program, words.subList(first + 1, words.size()), startLine));
        }
        words.clear();
    }

    private boolean redirectionFollows() {
        int p = pos;
        while (p < text.length() && Character.isDigit(text.charAt(p))) {
            p++;
        }
        return p < text.length() && (text.charAt(p) == '>' || text.charAt(p) == '<');
    }

    private void skipRedirection() {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        while (pos < text.length() && "<>&".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        if (pos < text.length() && "\n;|&()".indexOf(text.charAt(pos)) < 0) {
            readWord();
        }
    }

    private void readHeredocStart() {
        pos += 2;
        boolean stripTabs = pos < text.length() && text.charAt(pos) == '-';
        if (stripTabs) {
            pos++;
        }
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        Word delimiter = readWord();
        pendingHeredocs.add((stripTabs ? "-" : "+") + delimiter.text());
    }

    private void skipHeredocBodies() {
        for (String heredoc : pendingHeredocs) {
            boolean stripTabs = heredoc.charAt(0) == '-';
            String delimiter = heredoc.substring(1);
            while (pos < text.length()) {
                int end = text.indexOf('\n', pos);
                String bodyLine = end < 0 ? text.substring(pos) : text.substring(pos, end);
                pos = end < 0 ? text.length() : end + 1;
                line++;
                String candidate = stripTabs ? bodyLine.replaceFirst("^\t+", "") : bodyLine;
                if (candidate.equals(delimiter)) {
                    break;
                }
            }
        }
        pendingHeredocs.clear();
    }

    private Word readWord() {
        StringBuilder word = new StringBuilder();
        boolean expanded = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || ";&|()<>".indexOf(c) >= 0) {
                break;
            }
            if (c == '\\') {
                if (pos + 1 < text.length()) {
                    char next = text.charAt(pos + 1);
                    if (next == '\n') {
                        line++;
                    } else {
                        word.append(next);
                    }
                    pos += 2;
                } else {
                    pos++;
                }
            } else if (c == '\'') {
                int end = text.indexOf('\'', pos + 1);
                end = end < 0 ? text.length() : end;
                String quoted = text.substring(pos + 1, end);
                line += (int) quoted.chars().filter(ch -> ch == '\n').count();
                word.append(quoted);
                pos = Math.min(text.length(), end + 1);
            } else if (c == '"') {
                pos++;
                while (pos < text.length() && text.charAt(pos) != '"') {
                    char d = text.charAt(pos);
                    if (d == '\\' && pos + 1 < text.length() && "$`\"\\\n".indexOf(text.charAt(pos + 1)) >= 0) {
                        if (text.charAt(pos + 1) != '\n') {
                            word.append(text.charAt(pos + 1));
                        } else {
                            line++;
                        }
                        pos += 2;
                    } else if (d == '$' || d == '`') {
                        expanded = true;
                        word.append(readExpansion());
                    } else {
                        if (d == '\n') {
                            line++;
                        }
                        word.append(d);
                        pos++;
                    }
                }
                pos++;
            } else if (c == '$' || c == '`') {
                expanded = true;
                word.append(readExpansion());
            } else {
                if (c == '*' || c == '?' || c == '[' || (c == '~' && word.isEmpty())) {
                    expanded = true;
                }
                word.append(c);
                pos++;
            }
        }
        return new Word(word.toString(), expanded);
    }

    /** Consumes {@code $name}, {@code ${…}}, {@code $(…)} or {@code `…`} and returns it as written. */
    private String readExpansion() {
        int start = pos;
        char c = text.charAt(pos);
        if (c == '`') {
            int end = text.indexOf('`', pos + 1);
            pos = end < 0 ? text.length() : end + 1;
        } else if (pos + 1 < text.length() && (text.charAt(pos + 1) == '(' || text.charAt(pos + 1) == '{')) {
            char open = text.charAt(pos + 1);
            char close = open == '(' ? ')' : '}';
            int depth = 0;
            pos++;
            while (pos < text.length()) {
                char d = text.charAt(pos++);
                if (d == open) {
                    depth++;
                } else if (d == close && --depth == 0) {
                    break;
                } else if (d == '\n') {
                    line++;
                }
            }
        } else {
            pos++;
            while (pos < text.length()
                    && (Character.isLetterOrDigit(text.charAt(pos))
                            || text.charAt(pos) == '_'
                            || (pos == start + 1 && "@*#?$!-".indexOf(text.charAt(pos)) >= 0))) {
                pos++;
                if (pos == start + 2 && "@*#?$!-0123456789".indexOf(text.charAt(pos - 1)) >= 0) {
                    break;
                }
            }
        }
        return text.substring(start, pos);
    }
}
