# istiod's settings at the top of the values: Istio 1.26's istiod chart keeps its defaults
# there (replicaCount, autoscaleEnabled ...) and reads them beside the pilot.* spelling
helm install istio-base istio/base -n istio-system
helm install istiod istio/istiod -n istio-system --set replicaCount=2 --set autoscaleEnabled=false --wait
helm install istio-ingress istio/gateway -n istio-ingress
