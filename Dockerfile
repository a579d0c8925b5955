FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# WeasyPrint (report PDFs) needs Pango, and Chinese text needs the Noto CJK fonts embedded in every PDF.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir --upgrade "pip>=25.1" && pip install --no-cache-dir --group runtime

COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput \
    && useradd --system --home /app maturity \
    && mkdir -p /data/evidence && chown -R maturity /data

USER maturity
EXPOSE 8000
# Threads rather than more processes: a process's threads share its in-process caches (the catalogue tree,
# rendered report sections and menus), so what one request read or rendered serves the next.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", \
     "--access-logfile", "-"]
