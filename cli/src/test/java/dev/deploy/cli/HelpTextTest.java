package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every command's {@code --help}, rendered by picocli at 80 and 200 columns as a user sees it: no line wider than
 * the terminal, one-sentence summaries that fit the command list, paragraphs wrapped by picocli only between
 * words, and every text a valid picocli format string.
 */
class HelpTextTest {

    /** The whole command tree (deploy, its subcommands, picocli's help), laid out {@code width} columns wide. */
    private static List<CommandLine> commands(int width) {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(OptionalInt.of(width)), all);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    /** deploy's own commands (picocli's {@code help} command is picocli's text). */
    private static List<CommandLine> ours(int width) {
        return commands(width).stream()
                .filter(c -> !(c.getCommand() instanceof CommandLine.HelpCommand)).toList();
    }

    private static String usage(CommandLine command) {
        return command.getUsageMessage(Ansi.OFF);
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void noLineOfAnyCommandsHelpIsWiderThanTheTerminal(int width) {
        for (CommandLine command : commands(width)) {
            assertThat(usage(command).lines())
                    .as("deploy %s --help at %d columns", command.getCommandName(), width)
                    .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(width));
        }
    }

    @Test
    void everyCommandHasAOneSentenceSummaryThatFitsOnItsLineInTheCommandListAt80Columns() {
        for (CommandLine command : ours(80)) {
            String[] header = command.getCommandSpec().usageMessage().header();
            assertThat(header).as(command.getCommandName()).hasSize(1);
            assertThat(header[0]).as(command.getCommandName()).endsWith(".").doesNotContain(". ");
        }
        CommandLine deploy = commands(80).get(0);
        List<String> listed = section(usage(deploy), "Commands:");
        assertThat(listed).as("one line per command, none wrapped").hasSize(deploy.getSubcommands().size());
        for (String line : listed) {
            String name = line.strip().split("\\s+", 2)[0];
            String summary = line.strip().substring(name.length()).strip();
            assertThat(summary).as(name).endsWith(".");
            CommandLine sub = deploy.getSubcommands().get(name);
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                assertThat(summary).isEqualTo(sub.getCommandSpec().usageMessage().header()[0]);
            }
        }
    }

    @Test
    void descriptionsAreWholeParagraphsNotLinesBrokenByHand() {
        for (CommandLine command : ours(80)) {
            for (String paragraph : command.getCommandSpec().usageMessage().description()) {
                assertThat(paragraph).as(command.getCommandName())
                        .matches(p -> p.isEmpty() || p.endsWith(".") || p.endsWith(":"), "empty or a whole paragraph");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void picocliWrapsEveryTextOnlyBetweenWords(int width) {
        for (CommandLine command : ours(width)) {
            Set<String> shown = new HashSet<>(Arrays.asList(usage(command).split("\\s+")));
            for (String text : shownTexts(command.getCommandSpec())) {
                for (String word : text.split("\\s+")) {
                    assertThat(shown).as("deploy %s --help at %d columns shows '%s' whole (from: %s)",
                            command.getCommandName(), width, word, text).contains(word);
                }
            }
        }
    }

    @Test
    void everyTextIsAValidFormatStringSoPicocliShowsItAsWritten() {
        // picocli formats descriptions with String.format: a lone % (as in "P% of the hosts") made it print a
        // warning and the raw text
        for (CommandLine command : commands(80)) {
            for (String text : writtenTexts(command.getCommandSpec())) {
                assertThatCode(() -> String.format(text)).as(text).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void theExitCodesInTheHelpAreExactlyTheOnesDeployUses() throws Exception {
        List<String> documented = new ArrayList<>();
        for (CommandLine command : ours(80)) {
            List<String> codes = command.getCommandSpec().usageMessage().exitCodeList().keySet().stream()
                    .map(String::strip).toList();
            assertThat(codes).as(command.getCommandName()).isNotEmpty();
            documented = codes;
        }
        List<String> used = new ArrayList<>();
        for (Field field : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                used.add(String.valueOf(field.getInt(null)));
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void everyCommandWithADetailedExitCodeIsNamedWhereTheHelpExplainsExitCodeTwo() {
        String two = commands(80).get(0).getCommandSpec().usageMessage().exitCodeList().entrySet().stream()
                .filter(e -> e.getKey().strip().equals(String.valueOf(ExitCodes.CHANGES))).findFirst()
                .orElseThrow().getValue();
        for (CommandLine command : ours(80)) {
            if (command.getCommandSpec().findOption("--detailed-exitcode") != null) {
                assertThat(two).as("exit code 2 in the help").contains(command.getCommandName() + " --detailed-exitcode");
            }
        }
    }

    @Test
    void theExitCodeLinesAreIndentedUnderTheirCodeWhenTheyWrap() {
        List<String> lines = section(usage(commands(80).get(0)), "Exit codes:");
        // every meaning starts in one column (after the widest code); a wrapped one continues 2 columns further in
        int column = lines.get(0).length() - lines.get(0).replaceFirst("^  [0-9]+ +", "").length();
        String code = "  [0-9]+ +";
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("(" + code + "|" + " ".repeat(column + 2) + ")\\S.*"));
        assertThat(lines).filteredOn(line -> line.matches(code + "\\S.*"))
                .allSatisfy(line -> assertThat(line.length() - line.replaceFirst("^" + code, "").length())
                        .as(line).isEqualTo(column));
        assertThat(lines.size()).isGreaterThan(ExitCodes.class.getFields().length);
    }

    @Test
    void everyCommandPrintsTheVersionWithItsCommit() {
        for (CommandLine command : ours(80)) {
            List<String> args = new ArrayList<>(Arrays.asList(command.getCommandSpec().qualifiedName().split(" ")));
            args.remove(0);
            args.add("--version");
            StringWriter out = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
            assertThat(code).isZero();
            assertThat(out.toString()).as(String.join(" ", args)).startsWith("deploy ").contains("(commit ");
        }
    }

    @Test
    void aMistypedCommandGetsASuggestion() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "aply", "inventory.yaml");
        assertThat(code).isEqualTo(ExitCodes.INPUT);
        assertThat(err.toString()).startsWith("deploy: error: unknown command 'aply'\n")
                .contains("Did you mean: deploy apply");
    }

    @Test
    void helpForAMistypedCommandGetsTheSameSuggestion() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "help", "aply");
        assertThat(code).isEqualTo(ExitCodes.INPUT);
        assertThat(err.toString()).startsWith("deploy: error: unknown command 'aply'\n")
                .contains("Did you mean: deploy apply");
    }

    @Test
    void columnsSetsTheHelpWidthWithinWhatPicocliCanLayOut() {
        assertThat(Main.helpWidth("200")).hasValue(200);
        assertThat(Main.helpWidth(" 120 ")).hasValue(120);
        assertThat(Main.helpWidth("20")).hasValue(Main.MIN_WIDTH);
        assertThat(Main.helpWidth("99999")).hasValue(Main.MAX_WIDTH);
        assertThat(Main.helpWidth(null)).isEmpty();
        assertThat(Main.helpWidth("")).isEmpty();
        assertThat(Main.helpWidth("0")).isEmpty();
        assertThat(Main.helpWidth("wide")).isEmpty();
    }

    /** The lines of a help section, from its heading to the next blank line. */
    private static List<String> section(String usage, String heading) {
        List<String> lines = usage.lines().toList();
        int start = lines.indexOf(heading) + 1;
        assertThat(start).as(heading).isPositive();
        int end = start;
        while (end < lines.size() && !lines.get(end).isBlank()) {
            end++;
        }
        return lines.subList(start, end);
    }

    /** Every text a command shows, as picocli shows it (formatted, default values filled in). */
    private static List<String> shownTexts(CommandSpec spec) {
        UsageMessageSpec usage = spec.usageMessage();
        List<String> texts = new ArrayList<>();
        Stream.of(usage.header(), usage.description(), usage.footer()).flatMap(Arrays::stream)
                .forEach(text -> texts.add(String.format(text)));
        usage.exitCodeList().values().forEach(text -> texts.add(String.format(text)));
        // ArgSpec.description() is already formatted by picocli
        Stream.concat(spec.options().stream(), spec.positionalParameters().stream())
                .forEach(arg -> texts.addAll(Arrays.asList(arg.description())));
        texts.removeIf(String::isBlank);
        return texts;
    }

    /** Every text of a command as written in its annotations (picocli formats them before showing them). */
    private static List<String> writtenTexts(CommandSpec spec) {
        UsageMessageSpec usage = spec.usageMessage();
        List<String> texts = new ArrayList<>();
        Stream.of(usage.header(), usage.description(), usage.footer()).forEach(t -> texts.addAll(Arrays.asList(t)));
        texts.addAll(usage.exitCodeList().values());
        for (ArgSpec arg : Stream.concat(spec.options().stream(), spec.positionalParameters().stream()).toList()) {
            if (arg.userObject() instanceof AnnotatedElement element) {
                Option option = element.getAnnotation(Option.class);
                Parameters parameters = element.getAnnotation(Parameters.class);
                texts.addAll(Arrays.asList(option != null ? option.description()
                        : parameters != null ? parameters.description() : arg.description()));
            }
        }
        texts.replaceAll(text -> text.replace("${DEFAULT-VALUE}", "default"));
        texts.removeIf(String::isBlank);
        return texts;
    }
}
