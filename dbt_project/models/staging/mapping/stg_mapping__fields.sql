{# The confirmed mapping's `fields` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'fields') }})

select * from source
