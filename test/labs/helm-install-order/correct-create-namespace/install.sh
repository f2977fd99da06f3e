set -e
helm install istio-base istio/base -n istio-system --create-namespace
helm install istiod istio/istiod -n istio-system --set pilot.autoscaleEnabled=false,pilot.replicaCount=2 --wait
kubectl create namespace istio-ingress
helm install istio-ingress istio/gateway -n istio-ingress
