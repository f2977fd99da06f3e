helm install istio-base istio/base -n istio-system
helm install istiod istio/istiod -n istio-system --set replicaCount=2 --set autoscaleEnabled=false --wait
helm install istio-ingress istio/gateway -n istio-ingress
