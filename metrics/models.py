# Delivery events and figures arrive with the delivery-metrics issue (#7).
