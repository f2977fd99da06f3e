#!/bin/sh
# Install Istio 1.26 with Helm: the commands in the order you would run them.
set -e
helm repo add istio https://istio-release.storage.googleapis.com/charts
helm repo update
# the CRDs first, then the control plane (waiting until it runs), then the gateway
helm install istio-base istio/base -n istio-system --set defaultRevision=default
helm install istiod istio/istiod -n istio-system \
  --set pilot.autoscaleEnabled=false --set pilot.replicaCount=2 --wait
helm install istio-ingress istio/gateway -n istio-ingress --wait
