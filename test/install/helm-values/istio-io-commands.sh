#!/bin/sh
# Helm commands of istio.io's 1.26 install pages, in the order a reader runs them, with the
# values each page sets (--wait and the like as written there).
set -e
helm repo add istio https://istio-release.storage.googleapis.com/charts
helm repo update
# docs/setup/install/helm: base, istiod, then a gateway in its own namespace
helm install istio-base istio/base -n istio-system --set defaultRevision=default --create-namespace
helm install istiod istio/istiod -n istio-system --wait
kubectl create namespace istio-ingress
helm install istio-ingress istio/gateway -n istio-ingress --wait
# docs/setup/upgrade/helm: a canary control plane, then base's default revision moved to it
helm install istiod-canary istio/istiod \
    --set revision=canary \
    -n istio-system
helm upgrade istio-base istio/base --set defaultRevision=canary -n istio-system --skip-crds
