package dev.caod.cli;

import java.io.PrintWriter;
import java.util.function.Function;

import com.google.protobuf.MessageOrBuilder;

import dev.caod.api.v1.GetProfileRequest;
import dev.caod.api.v1.InstallProfileRequest;
import dev.caod.api.v1.ListProfilesRequest;
import dev.caod.api.v1.Profile;
import dev.caod.api.v1.ProfileServiceGrpc;
import dev.caod.api.v1.ValidateProfileRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caod profile list|show|validate|install}. */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "List, show, check and install agent profiles.",
        subcommands = { ProfileCommand.List.class, ProfileCommand.Show.class, ProfileCommand.Validate.class,
                ProfileCommand.Install.class })
final class ProfileCommand {

    static <T extends MessageOrBuilder> T call(ClientOptions options, Function<ProfileServiceGrpc.ProfileServiceBlockingStub, T> call) {
        return Rpc.call(options, ProfileServiceGrpc::newBlockingStub, call);
    }

    static void line(PrintWriter out, Profile p) {
        out.printf("%-22s %-10s %-8s %s%n", p.getName(), p.getRole(),
                p.getSource().name().substring("PROFILE_SOURCE_".length()).toLowerCase(), p.getDescription());
    }


    @Command(name = "list", mixinStandardHelpOptions = true, description = "List profiles (yours shadow built-ins).")
    static final class List extends ClientCommand {
        @Override
        public void run() {
            var a = call(options, s -> s.listProfiles(ListProfilesRequest.getDefaultInstance()));
            Rpc.print(options, out(), a, () -> a.getProfilesList().forEach(p -> line(out(), p)));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a profile and its role prompt.")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            var a = call(options, s -> s.getProfile(GetProfileRequest.newBuilder().setName(name).build()));
            Rpc.print(options, out(), a, () -> {
                Profile p = a.getProfile();
                line(out(), p);
                out().printf("file      %s%nprovider  %s%nmodel     %s%ntools     %s%nmcp       %s%n%n%s%n", p.getFilePath(),
                        p.getProvider().isEmpty() ? "(caller's or default)" : p.getProvider(),
                        p.getModel().isEmpty() ? "(the CLI's default)" : p.getModel(),
                        p.getAllowedToolsList().isEmpty() ? "(the CLI's defaults)" : String.join(", ", p.getAllowedToolsList()),
                        p.getMcpServersList().stream().map(m -> m.getName()).toList(), p.getPrompt());
            });
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a profile file; every problem names the line and the field. Exits 1 when it has errors.")
    static final class Validate extends ClientCommand {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public void run() {
            var a = call(options, s -> s.validateProfile(ValidateProfileRequest.newBuilder().setContent(read(file))
                    .setFileName(file).build()));
            Rpc.print(options, out(), a, () -> report(a.getProblemsList(), a.getOk(), file, "profile "
                    + a.getProfile().getName()));
            failUnless(a.getOk(), file);
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Validate a profile file and copy it into your profiles folder.")
    static final class Install extends ClientCommand {
        @Parameters(paramLabel = "FILE")
        String file;
        @Option(names = "--force", description = "Replace your profile of the same name.")
        boolean force;

        @Override
        public void run() {
            var a = call(options, s -> s.installProfile(InstallProfileRequest.newBuilder().setContent(read(file))
                    .setFileName(file).setForce(force).build()));
            Rpc.print(options, out(), a, () -> out().printf("installed %s at %s%n", a.getProfile().getName(),
                    a.getProfile().getFilePath()));
        }
    }
}
