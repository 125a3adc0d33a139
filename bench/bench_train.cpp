// Training throughput of the dense and conv models of torch_ref.py on the MNIST subset, with the
// same protocol: 8000 train / 2000 test, batch 128, Adam lr 1e-3, samples/s = 8000 / epoch time,
// median over epochs 2..E; test MSE after E epochs; achieved GFLOP/s against the measured GEMM
// peak.
//   bench_train [--data data/mnist10k] [--models ae,ae2,vae20,vae2,dae,conv,lstm] [--epochs 5]
//               [--threads 2]
//               [--seed 1]
#include <immintrin.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "data/blasthreads.h"
#include "io/idx.h"
#include "nn/gemm.h"
#include "train/trainer.h"

using namespace latent;

namespace {

struct BenchModel {
  std::string name, description;
  ModelSpec spec;
  long long forwardMacs;  // per sample, weights only (as torch_ref.py's fwd_macs)
};

long long denseMacs(const std::vector<int>& dims) {
  long long s = 0;
  for (size_t i = 0; i + 1 < dims.size(); ++i) s += (long long)dims[i] * dims[i + 1];
  return s;
}

BenchModel makeModel(const std::string& name, int threads, int epochs) {
  BenchModel m{name, "", {}, 0};
  ModelSpec& s = m.spec;
  s.training.batchSize = 128;
  s.training.epochs = epochs;
  s.training.threads = threads;
  s.training.validationFraction = 0;
  s.activation = Activation::ReLU;
  if (name == "ae" || name == "dae") {
    s.hidden = {256};
    s.latent = 64;
    m.forwardMacs = denseMacs({784, 256, 64, 256, 784});
    m.description = name == "ae" ? "(a) dense AE 784-256-64-256-784" : "denoising (a), sigma 0.3";
    if (name == "dae") {
      s.kind = ModelKind::Denoising;
      s.noise = NoiseSpec::parse("gaussian:0.3");
    }
  } else if (name == "ae2") {
    s.hidden = {512, 256};
    s.latent = 2;
    m.forwardMacs = denseMacs({784, 512, 256, 2, 256, 512, 784});
    m.description = "(b) dense AE 784-512-256-2-256-512-784";
  } else if (name == "vae20" || name == "vae2") {
    const int z = name == "vae20" ? 20 : 2;
    s.kind = ModelKind::Vae;
    s.loss = LossKind::Bce;
    s.hidden = {400};
    s.latent = z;
    m.forwardMacs = 784 * 400 + 400 * 2 * z + z * 400 + 400 * 784;
    m.description = "(c) VAE 784-400-(" + std::to_string(z) + ")-400-784, BCE+KL";
  } else if (name == "conv") {
    // torch_ref.py's ConvAE: Conv2d(1,16,3,s2,p1), Conv2d(16,32,3,s2,p1), Linear(1568,32) and
    // the mirror with ConvTranspose2d(output_padding=1), sigmoid output.
    s.kind = ModelKind::Conv;
    s.conv.channels = {16, 32};
    s.hidden = {};
    s.latent = 32;
    const long long c1 = 14 * 14 * 16 * 1 * 9, c2 = 7 * 7 * 32 * 16 * 9, dense = 32 * 7 * 7 * 32;
    m.forwardMacs = 2 * (c1 + c2 + dense);
    m.description = "(d) conv AE (16,32 ch, latent 32)";
  } else if (name == "lstm") {
    // torch_ref.py's LSTMAE reads the 28 rows: LSTM(28→64), its last state (64) repeated 28 times
    // into LSTM(64→64), Linear(64→28) per step, no output activation. Ours adds the dense code
    // layer 64→64 between the encoder's last state and the repeat.
    s.kind = ModelKind::Lstm;
    s.hidden = {64};
    s.latent = 64;
    s.outputActivation = Activation::Identity;
    m.forwardMacs = 28LL * 4 * 64 * (28 + 64) + 28LL * 4 * 64 * (64 + 64) + 28LL * 64 * 28;
    m.description = "(e) LSTM AE rows, H=64, latent 64";
  } else {
    throw std::invalid_argument("unknown model " + name);
  }
  return m;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

/// The CPU's FMA peak, measured: every thread runs independent FMA chains in registers for
/// 0.3 s at the same time; returns the sum of their GFLOP/s.
double measureFmaPeakGflops(int threads) {
  std::vector<double> perThread(threads);
  auto work = [&](int t) {
#if defined(__AVX512F__)
    using V = __m512;
    constexpr int Lanes = 16;
    auto fma = [](V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); };
    V acc[12], mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-7f);
    for (auto& a : acc) a = _mm512_set1_ps(1.0f);
#else
    using V = __m256;
    constexpr int Lanes = 8;
    auto fma = [](V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); };
    V acc[12], mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-7f);
    for (auto& a : acc) a = _mm256_set1_ps(1.0f);
#endif
    const auto t0 = std::chrono::steady_clock::now();
    long long iterations = 0;
    double dt = 0;
    do {
      for (int r = 0; r < 1000; ++r)
        for (auto& a : acc) a = fma(a, mul, add);
      iterations += 1000;
      dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (dt < 0.3);
    float sink = 0;
    for (auto& a : acc) sink += reinterpret_cast<float*>(&a)[0];
    perThread[t] = 2.0 * Lanes * 12 * double(iterations) / dt / 1e9 + (sink == 12345.0f ? 1 : 0);
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (auto& th : pool) th.join();
  double sum = 0;
  for (double g : perThread) sum += g;
  return sum;
}

/// Eigen float GEMM 1024² on the calling thread (what the GEMM path reaches on big matrices).
double measureGemmGflops() {
  const int n = 1024;
  Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n), c(n, n);
  c.noalias() = a * b;
  std::vector<double> g;
  for (int r = 0; r < 5; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    int k = 0;
    double dt = 0;
    do {
      c.noalias() = a * b;
      ++k;
      dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (dt < 0.3);
    g.push_back(2.0 * n * n * double(n) * k / dt / 1e9);
  }
  return median(g);
}

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

int run(int argc, char** argv) {
  std::string dataDir = "data/mnist10k", models = "ae,ae2,vae20";
  int epochs = 5, threads = 2;
  unsigned seed = 1;
  Precision precision = Precision::Float32;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data"))
      dataDir = argv[i + 1];
    else if (!std::strcmp(argv[i], "--models"))
      models = argv[i + 1];
    else if (!std::strcmp(argv[i], "--epochs"))
      epochs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads"))
      threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed"))
      seed = unsigned(std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--precision"))
      precision = precisionFromString(argv[i + 1]);
  }
  useSingleThreadedBlas();  // as the trainer will: measure the GEMM the way training uses it
  const auto train =
      std::make_shared<const Dataset>(loadIdx(dataDir + "/train-images-idx3-ubyte.gz"));
  const Dataset test = loadIdx(dataDir + "/t10k-images-idx3-ubyte.gz");
  const double gemm1 = measureGemmGflops();
  const double peak = measureFmaPeakGflops(threads);
  const std::string gemmPath = "training products on " + gemmBackendName();
  std::printf(
      "LatentLab core: Eigen %d.%d.%d, %s, %d threads; FMA peak (measured, %d threads) %.1f "
      "GFLOP/s; GEMM 1024² on one thread %.1f GFLOP/s; base RSS %.0f MiB\n",
      EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, gemmPath.c_str(), threads,
      threads, peak, gemm1, peakRssMiB());
  std::printf("%-40s %10s %7s %9s %9s %8s %7s %7s\n", "model", "samples/s", "ep_s", "mse@E",
              "mse_noisy", "fwdMAC", "GFLOP/s", "%peak");
  std::stringstream list(models);
  for (std::string name; std::getline(list, name, ',');) {
    BenchModel m = makeModel(name, threads, epochs);
    m.spec.training.seed = seed;
    m.spec.training.precision = precision;
    Trainer trainer(m.spec, train, nullptr);
    std::vector<double> epochSeconds;
    trainer.setObserver([&](const TrainingProgress& p) {
      if (p.kind == TrainingProgress::Kind::EpochEnd)
        epochSeconds.push_back(p.snapshot->history.back().seconds);
    });
    trainer.setSnapshotInterval(1e9);
    trainer.run();
    std::vector<double> rest(epochSeconds.begin() + (epochSeconds.size() > 1), epochSeconds.end());
    const double ep = median(rest);
    const double sps = train->count() / ep;
    const Model& model = trainer.model();
    const double mse = model.evaluate(test.samples, test.samples, test.count(), 1).mse;
    std::string noisy = "-";
    if (name == "dae") {
      Rng rng(12345);
      Matrix x = test.samples;
      for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] += 0.3f * rng.normal();
      noisy = std::to_string(model.evaluate(x, test.samples, test.count(), 1).mse).substr(0, 7);
    }
    const double gflops = sps * 6.0 * m.forwardMacs / 1e9;
    std::printf("%-40s %10.0f %7.3f %9.5f %9s %8lld %7.1f %6.1f%%\n", m.description.c_str(), sps,
                ep, mse, noisy.c_str(), m.forwardMacs, gflops, 100 * gflops / peak);
    std::printf(
        "RESULT {\"model\":\"%s\",\"sps\":%.1f,\"mse\":%.6f,\"gflops\":%.2f,\"peak\":%.2f,"
        "\"rss_mib\":%.1f}\n",
        name.c_str(), sps, mse, gflops, peak, peakRssMiB());
    std::fflush(stdout);
  }
  std::printf("peak RSS %.0f MiB\n", peakRssMiB());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    // e.g. --precision bf16 on a CPU without AVX512-BF16: compare_torch.py then skips bf16.
    std::fprintf(stderr, "bench_train: %s\n", e.what());
    return 2;
  }
}
