# slscheck in a container: docker build -t slscheck . && docker run --rm -v "$PWD:/work" slscheck validate infra/
# Two stages: the wheel is built in the first, so the image carries no build tools, caches or sources.
# BASE: any image with Python 3.11+ and pip (a registry mirror's copy of python:3.12-slim, say):
#   docker build --build-arg BASE=registry.example.com/python:3.12-slim -t slscheck .
ARG BASE=python:3.12-slim
FROM ${BASE} AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY sls_check ./sls_check
COPY rules ./rules
COPY pricing ./pricing
COPY quotas ./quotas
COPY schemas ./schemas
COPY runtimes ./runtimes
COPY importers ./importers
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM ${BASE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin slscheck
USER 10001
WORKDIR /work
ENTRYPOINT ["slscheck"]
CMD ["--help"]
