helm install istio-base istio/base -n istio-system
helm install istio-ingress istio/gateway -n istio-ingress
helm install istiod istio/istiod -n istio-system --set pilot.autoscaleEnabled=false --set pilot.replicaCount=2 --wait
