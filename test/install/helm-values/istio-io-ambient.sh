#!/bin/sh
# Helm commands of istio.io's 1.26 ambient pages: docs/ambient/install/helm, with the k3d
# platform value of docs/ambient/install/platform-prerequisites on the cni chart.
helm install istio-base istio/base -n istio-system --create-namespace --wait
helm install istiod istio/istiod --namespace istio-system --set profile=ambient --wait
helm install istio-cni istio/cni -n istio-system --set profile=ambient --set global.platform=k3d --wait
helm install ztunnel istio/ztunnel -n istio-system --wait
helm install istio-ingress istio/gateway -n istio-ingress --create-namespace --wait
