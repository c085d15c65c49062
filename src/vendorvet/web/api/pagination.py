"""The API's page-number pagination; deep pages read their rows' keys first (``core.paging``)."""

from rest_framework.pagination import PageNumberPagination

from vendorvet.web.core.paging import DeepPagePaginator


class Pagination(PageNumberPagination):
    django_paginator_class = DeepPagePaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
