#!/usr/bin/env bash
# Retakes the README's panel screenshots (resources/screenshots/) from a Release build under Xvfb:
# each is a real training run started by the app itself (LATENTLAB_AUTOTRAIN), grabbed with
# QWidget::grab after a delay long enough for the run to finish on 2 cores. Needs xvfb (xvfb-run)
# and the MNIST subset (scripts/fetch-mnist.sh). The user's settings and runs are not touched.
#   scripts/screenshots.sh [NAME...]   (default: all of them)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
app="${BUILD_DIR:-build}/bin/latentlab"
out=resources/screenshots
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" LATENTLAB_DATA_DIR="$scratch/data"
export LATENTLAB_AUTOTRAIN=1 LATENTLAB_NO_CONFIRM=1

shot() {  # NAME TAB DELAY_MS SPEC [app arguments]
  local name="$1" tab="$2" delay="$3" spec="$4"
  shift 4
  echo "== $name"
  LATENTLAB_TAB="$tab" LATENTLAB_SPEC="$spec" LATENTLAB_SCREENSHOT="$root/$out/$name.png" \
    LATENTLAB_SCREENSHOT_DELAY_MS="$delay" \
    xvfb-run -a -s "-screen 0 1400x900x24" "$app" "$@"
}

take() {
  case "$1" in
    anomalies)  # digits 0-8 are normal and trained on; the 9s of the validation split are anomalies
      LATENTLAB_NORMAL=0,1,2,3,4,5,6,7,8 shot anomalies Anomalies 45000 \
        '{"hidden":[512,128],"latent":16,"loss":"bce","training":{"epochs":20}}' ;;
    anomalies-classes)  # one 256-8 model per digit 0-8, the 9s of the validation split as anomalies
      LATENTLAB_NORMAL=0,1,2,3,4,5,6,7,8 LATENTLAB_ANOMALY_SCORE=classes \
        shot anomalies-classes Anomalies 40000 \
        '{"hidden":[256],"latent":8,"loss":"bce","training":{"epochs":10}}' ;;
    denoising)
      shot denoising Denoising 20000 \
        '{"hidden":[256],"latent":16,"noise":"gaussian:0.3","training":{"epochs":10}}' ;;
    pca-comparison)  # three runs, latent 2, 8 and 32: three points against PCA's curve
      LATENTLAB_AUTOTRAIN_LATENTS=8,32 shot pca-comparison "PCA vs" 45000 \
        '{"hidden":[256],"latent":2,"training":{"epochs":10}}' ;;
    clusters)
      shot clusters Clusters 30000 '{"hidden":[256],"latent":8,"training":{"epochs":10}}' ;;
    recommendations)  # latent::recommenderSpec(), the tab's suggested settings
      shot recommendations Recommend 20000 \
        '{"kind":"denoising","hidden":[64],"latent":16,"loss":"bce","noise":"dropout:0.5","training":{"epochs":30,"batch_size":64,"learning_rate":0.003}}' \
        --builtin useritem ;;
    lstm-signals)  # latent::suggestedLstmSpec() on the built-in Signals, mid-run (epoch ~30 of 50)
      shot lstm-signals Anomalies 40000 \
        '{"kind":"lstm","hidden":[64],"latent":16,"lstm":{"reverse_target":true,"forget_bias":3},"output_activation":"identity","training":{"epochs":50,"batch_size":32,"learning_rate":0.01,"max_grad_norm":1,"lr_schedule":"cosine","lr_warmup_epochs":1}}' \
        --builtin signals ;;
    *) echo "unknown screenshot '$1'" >&2; exit 2 ;;
  esac
}

names=("$@")
((${#names[@]})) || names=(anomalies anomalies-classes denoising pca-comparison clusters recommendations lstm-signals)
for name in "${names[@]}"; do take "$name"; done
