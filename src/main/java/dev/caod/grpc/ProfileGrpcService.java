package dev.caod.grpc;

import dev.caod.api.v1.GetProfileRequest;
import dev.caod.api.v1.GetProfileResponse;
import dev.caod.api.v1.InstallProfileRequest;
import dev.caod.api.v1.InstallProfileResponse;
import dev.caod.api.v1.ListProfilesRequest;
import dev.caod.api.v1.ListProfilesResponse;
import dev.caod.api.v1.ValidateProfileRequest;
import dev.caod.api.v1.ValidateProfileResponse;
import dev.caod.api.v1.ProfileService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** gRPC face of agent profiles; every RPC answers UNIMPLEMENTED until that capability lands. */
@GrpcService
public class ProfileGrpcService implements ProfileService {

    private static final NotYet LATER = new NotYet("ProfileService", "agent profiles (lookup, validation and install)");

    @Override
    public Uni<ListProfilesResponse> listProfiles(ListProfilesRequest request) {
        return LATER.answer("ListProfiles");
    }

    @Override
    public Uni<GetProfileResponse> getProfile(GetProfileRequest request) {
        return LATER.answer("GetProfile");
    }

    @Override
    public Uni<ValidateProfileResponse> validateProfile(ValidateProfileRequest request) {
        return LATER.answer("ValidateProfile");
    }

    @Override
    public Uni<InstallProfileResponse> installProfile(InstallProfileRequest request) {
        return LATER.answer("InstallProfile");
    }
}
