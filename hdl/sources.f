ims_endpoint.v
