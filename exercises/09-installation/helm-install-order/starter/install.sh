#!/bin/sh
# Install Istio 1.26 with Helm: the commands in the order you would run them.
set -e
helm repo add istio https://istio-release.storage.googleapis.com/charts
helm repo update
helm install istio-ingress istio/gateway -n istio-system
helm install istiod istio/istiod -n istio-system --set replicaCount=2 --wait
helm install istio-base istio/base -n istio-system --set defaultRevision=default
