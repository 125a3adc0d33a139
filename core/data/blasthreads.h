// Keeps the BLAS library single-threaded: LatentLab parallelises on TBB itself (data-parallel
// batches, chunked inference), and a threaded BLAS called from several TBB workers at once would
// oversubscribe the cores.
#pragma once

namespace latent {

/// Idempotent and thread-safe; called by the trainer and other parallel entry points.
void useSingleThreadedBlas();

}  // namespace latent
