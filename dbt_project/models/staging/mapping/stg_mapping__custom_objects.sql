{# The confirmed mapping's `custom_objects` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'custom_objects') }})

select * from source
