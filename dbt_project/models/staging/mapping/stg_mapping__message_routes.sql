{# The confirmed mapping's `message_routes` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'message_routes') }})

select * from source
