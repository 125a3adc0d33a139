// Keeps the BLAS library single-threaded: LatentLab parallelises on TBB itself (data-parallel
// batches, chunked inference), and a threaded BLAS called from several TBB workers at once would
// oversubscribe the cores.
#pragma once

namespace latent {

/// Idempotent and thread-safe; called by every Model constructor, the trainer, PCA and the
/// other entry points that multiply matrices.
void useSingleThreadedBlas();

}  // namespace latent
