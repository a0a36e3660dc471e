package dev.caod.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.GetProfileRequest;
import dev.caod.api.v1.InstallProfileRequest;
import dev.caod.api.v1.ListProfilesRequest;
import dev.caod.api.v1.ProfileServiceGrpc;
import dev.caod.api.v1.ProfileServiceGrpc.ProfileServiceBlockingStub;
import dev.caod.api.v1.ProfileSource;
import dev.caod.api.v1.Severity;
import dev.caod.api.v1.ValidateProfileRequest;
import dev.caod.cli.DaemonClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/** ProfileService over the daemon's real Unix socket. */
@QuarkusTest
class ProfileGrpcServiceTest {

    private DaemonClient client;
    private ProfileServiceBlockingStub profiles;

    @BeforeEach
    void connect() {
        client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(20));
        profiles = client.stub(ProfileServiceGrpc.newBlockingStub(client.channel()));
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        Files.deleteIfExists(CaodTestHome.paths().configDir().resolve("profiles/grpc_agent.md"));
    }

    @Test
    void listsTheBuiltInTeamAndGetsOne() {
        var names = profiles.listProfiles(ListProfilesRequest.getDefaultInstance()).getProfilesList().stream()
                .map(p -> p.getName()).toList();
        assertTrue(names.containsAll(java.util.List.of("code_supervisor", "developer", "reviewer", "architect",
                "security_reviewer", "performance_engineer", "test_engineer")), names.toString());
        var supervisor = profiles.getProfile(GetProfileRequest.newBuilder().setName("code_supervisor").build())
                .getProfile();
        assertEquals("supervisor", supervisor.getRole());
        assertEquals(ProfileSource.PROFILE_SOURCE_BUILTIN, supervisor.getSource());
        assertFalse(supervisor.getPrompt().isBlank());
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> profiles.getProfile(GetProfileRequest.newBuilder().setName("nobody").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        StatusRuntimeException path = assertThrows(StatusRuntimeException.class,
                () -> profiles.getProfile(GetProfileRequest.newBuilder().setName("../x").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, path.getStatus().getCode());
    }

    @Test
    void validateNamesLineAndFieldAndInstallRefusesToOverwrite() {
        var bad = profiles.validateProfile(ValidateProfileRequest.newBuilder().setFileName("x.md")
                .setContent("---\nname: x\nprovider: nano\ncolour: red\n---\nbody\n").build());
        assertFalse(bad.getOk());
        var error = bad.getProblemsList().stream().filter(p -> p.getSeverity() == Severity.SEVERITY_ERROR).findFirst()
                .orElseThrow();
        assertEquals(3, error.getLine());
        assertEquals("provider", error.getField());
        assertTrue(bad.getProblemsList().stream().anyMatch(p -> p.getSeverity() == Severity.SEVERITY_WARNING
                && p.getField().equals("colour")));

        String good = "---\nname: grpc_agent\ndescription: d\n---\nDo it.\n";
        assertEquals(ProfileSource.PROFILE_SOURCE_USER, profiles.installProfile(InstallProfileRequest.newBuilder()
                .setContent(good).setFileName("a.md").build()).getProfile().getSource());
        StatusRuntimeException exists = assertThrows(StatusRuntimeException.class, () -> profiles.installProfile(
                InstallProfileRequest.newBuilder().setContent(good).setFileName("a.md").build()));
        assertEquals(Status.Code.ALREADY_EXISTS, exists.getStatus().getCode());
        assertTrue(exists.getStatus().getDescription().contains("--force"));
    }
}
