helm install istio-base istio/base -n istio-system
helm install istiod istio/istiod -n istio-system --set pilot.autoscaleEnabled=false --set pilot.replicas=2 --wait
helm install istio-ingress istio/gateway -n istio-ingress
