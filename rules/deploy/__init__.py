"""Rules over deployment files (Dockerfiles, Kubernetes manifests, compose files, entrypoint
scripts, `.env` examples) and the rules that join them with the Python server's facts."""
