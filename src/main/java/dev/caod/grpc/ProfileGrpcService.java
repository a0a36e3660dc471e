package dev.caod.grpc;

import dev.caod.api.v1.EnvVar;
import dev.caod.api.v1.GetProfileRequest;
import dev.caod.api.v1.GetProfileResponse;
import dev.caod.api.v1.InstallProfileRequest;
import dev.caod.api.v1.InstallProfileResponse;
import dev.caod.api.v1.ListProfilesRequest;
import dev.caod.api.v1.ListProfilesResponse;
import dev.caod.api.v1.McpServer;
import dev.caod.api.v1.Profile;
import dev.caod.api.v1.ProfileService;
import dev.caod.api.v1.ProfileSource;
import dev.caod.api.v1.Severity;
import dev.caod.api.v1.ValidateProfileRequest;
import dev.caod.api.v1.ValidateProfileResponse;
import dev.caod.api.v1.ValidationProblem;
import dev.caod.profile.McpServerSpec;
import dev.caod.profile.Problem;
import dev.caod.profile.ProfileException;
import dev.caod.profile.ProfileParser;
import dev.caod.profile.ProfileStore;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;

/** gRPC face of the profiles: thin mapping onto {@link ProfileStore}. */
@GrpcService
public class ProfileGrpcService extends GrpcSupport implements ProfileService {

    private final ProfileStore profiles;

    public ProfileGrpcService(ProfileStore profiles) {
        this.profiles = profiles;
    }

    @Override
    @RunOnVirtualThread
    public Uni<ListProfilesResponse> listProfiles(ListProfilesRequest request) {
        return answer(() -> ListProfilesResponse.newBuilder()
                .addAllProfiles(profiles.list().stream().map(ProfileGrpcService::proto).toList()).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<GetProfileResponse> getProfile(GetProfileRequest request) {
        return answer(() -> GetProfileResponse.newBuilder().setProfile(proto(get(request.getName()))).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<ValidateProfileResponse> validateProfile(ValidateProfileRequest request) {
        return answer(() -> {
            ProfileParser.Parsed parsed = profiles.validate(request.getContent(), request.getFileName());
            ValidateProfileResponse.Builder b = ValidateProfileResponse.newBuilder().setOk(parsed.ok())
                    .addAllProblems(parsed.problems().stream().map(ProfileGrpcService::proto).toList());
            if (parsed.ok()) {
                b.setProfile(proto(parsed.profile()));
            }
            return b.build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<InstallProfileResponse> installProfile(InstallProfileRequest request) {
        return answer(() -> {
            try {
                return InstallProfileResponse.newBuilder().setProfile(proto(profiles.install(request.getContent(),
                        request.getFileName(), request.getForce()))).build();
            } catch (ProfileStore.ProfileExistsException e) {
                throw Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException();
            } catch (ProfileException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            }
        });
    }

    private dev.caod.profile.Profile get(String name) {
        try {
            return profiles.get(name);
        } catch (ProfileStore.ProfileNotFoundException e) {
            throw Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
        } catch (ProfileException e) {
            throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
    }

    static Profile proto(dev.caod.profile.Profile p) {
        return Profile.newBuilder().setName(p.name()).setDescription(p.description()).setProvider(p.provider().orElse(""))
                .setModel(p.model().orElse("")).setRole(p.role()).addAllAllowedTools(p.allowedTools())
                .addAllMcpServers(p.mcpServers().stream().map(ProfileGrpcService::proto).toList())
                .setPrompt(p.prompt()).setFilePath(p.file())
                .setSource("user".equals(p.source()) ? ProfileSource.PROFILE_SOURCE_USER : ProfileSource.PROFILE_SOURCE_BUILTIN)
                .build();
    }

    private static McpServer proto(McpServerSpec s) {
        McpServer.Builder b = McpServer.newBuilder().setName(s.name()).putAllHeaders(s.headers());
        if (s.isHttp()) {
            b.setUrl(s.url());
        } else {
            b.setCommand(s.command()).addAllArgs(s.args());
            s.env().forEach((k, v) -> b.addEnv(EnvVar.newBuilder().setName(k).setValue(v)));
        }
        return b.build();
    }

    static ValidationProblem proto(Problem p) {
        return ValidationProblem.newBuilder().setFile(p.file()).setLine(p.line()).setField(p.field())
                .setMessage(p.message()).setSeverity(p.error() ? Severity.SEVERITY_ERROR : Severity.SEVERITY_WARNING)
                .build();
    }
}
