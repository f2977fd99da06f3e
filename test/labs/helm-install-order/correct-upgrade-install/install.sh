helm upgrade --install istio-base istio/base --namespace=istio-system
helm upgrade --install istiod istio/istiod --namespace=istio-system \
  --set pilot.replicaCount=2 \
  --set pilot.autoscaleEnabled=false \
  --wait --timeout 5m
helm upgrade --install istio-ingress istio/gateway --namespace istio-ingress --create-namespace --wait
