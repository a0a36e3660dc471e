package dev.caod.grpc;

import io.grpc.Status;
import io.smallrye.mutiny.Uni;

/**
 * The answer of an RPC whose capability is designed in the API but not built yet: UNIMPLEMENTED, naming the
 * capability, so a client can tell "not yet" from "wrong call".
 */
final class NotYet {

    private final String service;
    private final String capability;

    NotYet(String service, String capability) {
        this.service = service;
        this.capability = capability;
    }

    <T> Uni<T> answer(String rpc) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED
                .withDescription("caod.v1." + service + "/" + rpc + " is not available in this caod yet: it needs "
                        + capability + ", which is not built yet.")
                .asRuntimeException());
    }
}
