{# The confirmed mapping's `objects` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'objects') }})

select * from source
