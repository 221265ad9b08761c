FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY pixel ./pixel
COPY policies ./policies
COPY service ./service
RUN pip install . && useradd --create-home candor
USER candor
WORKDIR /home/candor
EXPOSE 8000
CMD ["candor", "serve", "--host", "0.0.0.0", "--port", "8000"]
